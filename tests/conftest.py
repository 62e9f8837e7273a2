"""Suite-wide test settings.

Property tests run derandomised and without per-example deadlines: the suite must give the
same verdict on a loaded 2-core CI machine as on a laptop (speed lives in benchmarks/).
"""

from hypothesis import settings

settings.register_profile("leadnet", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("leadnet")
