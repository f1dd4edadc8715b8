import Foundation

/// The environment the bot runs in (see the README's table of variables).
struct Settings {
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    var flowsDirectory: String { value("FLOWS_DIR") ?? "flows" }
    var localesDirectory: String { value("LOCALES_DIR") ?? "locales" }
    var databaseURL: String? { value("DATABASE_URL") }
    var piiKey: String? { value("PII_ENCRYPTION_KEY") }
    var clinicAPIURL: String? { value("CLINIC_API_URL") }
    var botAPISecret: String? { value("TELEGRAM_BOT_API_SECRET") }

    /// `CLINIC_TIMEZONE`; a name the system does not know is an error, not a silent default.
    func timeZone() throws -> TimeZone {
        guard let name = value("CLINIC_TIMEZONE") else { return .clinicDefault }
        guard let zone = TimeZone(identifier: name) else {
            throw CommandFailure("CLINIC_TIMEZONE '\(name)' is not a time zone name (for example Asia/Almaty)")
        }
        return zone
    }

    /// The locales folder for a flows folder given on the command line: `LOCALES_DIR`, else the
    /// `locales` folder beside the flows folder.
    func localesDirectory(besides flows: String) -> String {
        if let explicit = value("LOCALES_DIR") { return explicit }
        let parent = (flows as NSString).deletingLastPathComponent
        return parent.isEmpty ? "locales" : (parent as NSString).appendingPathComponent("locales")
    }
}

/// A failure the command line reports in one sentence, with a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
