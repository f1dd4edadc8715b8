// The bot runtime lives here (see Package.swift).
import Telegram
