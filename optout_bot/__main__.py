from optout_bot.entry import main

main()
