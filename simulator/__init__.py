"""Local simulator of the Mercado Libre API used by the post-sale bot's tests and demo runs.

Run it with `python -m simulator`; build it in-process with `create_app()`.
"""

from simulator.app import create_app
from simulator.constants import ACCESS_TOKEN
from simulator.scenarios.index import SCENARIOS, Scenario
from simulator.state import SimState

__all__ = ["ACCESS_TOKEN", "SCENARIOS", "Scenario", "SimState", "create_app"]
