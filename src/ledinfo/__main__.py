from ledinfo.cli import main

main()
