import Foundation

/// Telegram's JSON is snake_case; the Swift types are camelCase.
public enum TelegramJSON {
    // Made once: both are safe to share between threads, and building one per update shows in
    // the webhook's profile.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()
}
