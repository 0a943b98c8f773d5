"""The command line: each command's options, questions and what it prints; `app.py` is the click group.

May import everything else in the package. Nothing else imports it (but `optout_bot.entry`, the program).
Commands import the walk lazily, inside the command, so `--help` and `flows check` start fast.
"""
