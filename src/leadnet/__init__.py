"""leadnet: organisational network analysis that reveals shared and distributed leadership."""

from leadnet.errors import ConfigError, InputError, LeadnetError, LeadnetWarning, RowIssue

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "InputError",
    "LeadnetError",
    "LeadnetWarning",
    "RowIssue",
    "__version__",
]
