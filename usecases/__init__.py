"""What a chat command, the console, the CLI or a web page asks the bot to do (no Telegram).

Each module takes plain values (the person, their language, the typed text) and returns a
``Reply`` or data; handlers only translate between Telegram updates and these calls.
"""
