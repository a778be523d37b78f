"""planner — lập lịch đại hội Đảng các cấp và bầu cử 2020–2021.

Planner for Vietnam's 2020–2021 party congresses and the election of the 15th National Assembly
and the People's Councils 2021–2026.
"""

import time

__version__ = "0.1.0"
# When the process started using the package: a command's time budget counts from here, so
# reading files and building the tree are inside it (issue 11).
STARTED = time.monotonic()
