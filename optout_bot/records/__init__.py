"""What is kept after a run: the ledger (SQLite), the log file, and what is read from them (status, report).

May import the top-level modules, flows, settings and promises; never the walk or the command line.
"""
