/// A first, last or middle name as a patient typed it: trimmed, 1–50 characters, at least one
/// letter and no control characters (they would break messages and documents).
public struct PersonName: Sendable, Hashable {
    public static let maximumLength = 50
    public let text: String

    public init(_ raw: String, field: String) throws {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumLength else {
            throw InvalidInput(field: field, reason: "must be 1–\(Self.maximumLength) characters")
        }
        guard trimmed.unicodeScalars.allSatisfy({ !$0.properties.generalCategory.isControlOrFormat }),
              trimmed.unicodeScalars.contains(where: { $0.properties.isAlphabetic })
        else {
            throw InvalidInput(field: field, reason: "must be letters")
        }
        text = trimmed
    }
}

extension Unicode.GeneralCategory {
    fileprivate var isControlOrFormat: Bool { self == .control || self == .format || self == .lineSeparator || self == .paragraphSeparator }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
