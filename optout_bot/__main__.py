from optout_bot.cli import main

main()
