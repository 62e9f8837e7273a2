"""Suite-wide test settings, for the tests under ``tests/`` and the doctests under ``src/``.

Property tests run derandomised and without per-example deadlines: the suite must give the
same verdict on a loaded 2-core CI machine as on a laptop (speed lives in benchmarks/).

Every temporary file a test or doctest makes with :mod:`tempfile` lands under pytest's own
base folder, which pytest prunes to the last three runs: doctests show ``tempfile.mkdtemp()``
as a reader would write it, and a property test writes a file per example, so a run would
otherwise leave hundreds of folders in the machine's temporary folder.
"""

import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import settings

settings.register_profile("leadnet", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("leadnet")


@pytest.fixture(autouse=True, scope="session")
def temporary_files_under_pytest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    previous = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tempfile"))
    yield
    tempfile.tempdir = previous
