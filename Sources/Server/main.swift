print("clinic-bot")
