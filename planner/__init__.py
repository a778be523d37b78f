"""planner — lập lịch đại hội Đảng các cấp và bầu cử 2020–2021.

Planner for Vietnam's 2020–2021 party congresses and the election of the 15th National Assembly
and the People's Councils 2021–2026.
"""

__version__ = "0.1.0"
