"""The promises kept at the last moment, whatever a flow says: the checks before every click (promises 1 and
3), the guard on what a page may send (1 and 3), and scrubbing what is saved (2).

May import the top-level modules, flows and settings. The walk goes through it; it never imports the walk.
"""
