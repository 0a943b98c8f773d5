"""Everything done in the browser: opening it, walking a flow to its place, pre-filling, the hand-over, and
the commands' browser work (`objection.py` for run and demo, `login.py`, `verify.py`).

May import everything but the command line. Loaded only by the commands that open a browser.
"""
