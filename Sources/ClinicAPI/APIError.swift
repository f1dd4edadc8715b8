import Foundation

/// Every error the REST API answers, as `{"error": {"code": …, "message": …}}` with a 4xx
/// status (5xx only when the clinic's storage itself fails). Messages never echo the request's
/// values: they may hold an IIN or a phone number.
public struct APIError: Error, Sendable, Equatable {
    public let status: Int
    public let code: String
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }

    /// The JSON body.
    public var json: Data {
        // Sorted keys: the same error is the same bytes every time.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(error: .init(code: code, message: message))))
            ?? Data(#"{"error":{"code":"unavailable","message":"error"}}"#.utf8)
    }
}
