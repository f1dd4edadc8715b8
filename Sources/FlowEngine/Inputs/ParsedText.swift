/// A value that exists only in checked form (an IIN, a phone number, a name) and is written as
/// one canonical text. Decoding parses, so JSON with an invalid value cannot become one.
public protocol ParsedText: Codable {
    associatedtype Problem: TypedInputProblem
    init(_ text: String) throws(Problem)
    /// The form it is stored and sent in: "+77011234567", the 12 IIN digits, the trimmed name.
    var canonicalText: String { get }
}

extension ParsedText {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(try container.decode(String.self))
        } catch let problem as Problem {
            // The reason, never the value: it may be an IIN or a phone number.
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid \(Problem.domain) (\(problem.rawValue))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(canonicalText)
    }
}
