/// The calls that set the bot up rather than talk to a person.
public struct BotCommand: Codable, Sendable, Hashable {
    public var command: String
    public var description: String
    public init(command: String, description: String) {
        self.command = command
        self.description = description
    }
}

public struct SetMyCommands: Codable, Sendable, Hashable {
    public var commands: [BotCommand]
    /// nil: the default list; "kk", "ru": the list for people whose Telegram is in that language.
    public var languageCode: String?
    public init(commands: [BotCommand], languageCode: String? = nil) {
        self.commands = commands
        self.languageCode = languageCode
    }
}

public struct SetWebhook: Codable, Sendable, Hashable {
    public var url: String
    public var secretToken: String
    public var allowedUpdates: [String]
    public var maxConnections: Int?
    public init(url: String, secretToken: String, allowedUpdates: [String], maxConnections: Int? = nil) {
        self.url = url
        self.secretToken = secretToken
        self.allowedUpdates = allowedUpdates
        self.maxConnections = maxConnections
    }
}

public struct DeleteWebhook: Codable, Sendable, Hashable {
    public var dropPendingUpdates: Bool
    public init(dropPendingUpdates: Bool = false) { self.dropPendingUpdates = dropPendingUpdates }
}

public struct GetUpdates: Codable, Sendable, Hashable {
    public var offset: Int64?
    public var limit: Int?
    /// Seconds to hold the request open when nothing is waiting (long polling).
    public var timeout: Int
    public var allowedUpdates: [String]?
    public init(offset: Int64?, limit: Int? = 100, timeout: Int = 25, allowedUpdates: [String]? = nil) {
        self.offset = offset
        self.limit = limit
        self.timeout = timeout
        self.allowedUpdates = allowedUpdates
    }
}

/// What `getMe` answers: the bot's own account.
public struct BotUser: Codable, Sendable, Hashable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var username: String?
}

/// The update types the bot handles: `setWebhook` and `getUpdates` ask for these only.
public let handledUpdateTypes = ["message", "callback_query", "pre_checkout_query"]
