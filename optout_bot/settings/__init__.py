"""What the person asked for: the settings file, their accounts, the values for the form, a run's options.

May import the package's top-level modules (errors, i18n, paths, platforms, domains, problems) and flows.
"""
