/// Why an expression could not be read, and where.
///
/// The message is written for a content editor, not a programmer; `offset` is the 0-based
/// position in unicode scalars of the source, so a loader can turn it into file:line:column.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at offset \(offset))" }
}
