/// A language the bot speaks. Raw values are the ISO 639-1 codes used for locale files.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    /// Russian.
    case ru
    /// Kazakh.
    case kk
}
