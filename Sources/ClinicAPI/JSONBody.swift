import Foundation
import Hummingbird
import NIOCore

/// Request bodies: at most `limit` bytes of JSON, decoded into a `Decodable` request type.
/// Decoding errors become `APIError`s that name the field, never its value.
enum JSONBody {
    /// Bodies of this API are a few hundred bytes; anything near this is not a client of ours.
    static let limit = 64 * 1024

    /// A posted file (`POST documents/`): 10 MiB in base64, and the fields around it.
    static let fileLimit = 14 * 1024 * 1024
    /// A document to generate (`POST documents/generate/`): up to 100 paragraphs of 2,000
    /// characters, each of which JSON may spell as a 6-byte \u escape. Above the largest valid
    /// body, so one that breaks the counts gets a 422 that says which, not a bare 413.
    static let documentLimit = 2 * 1024 * 1024

    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request, limit: Int = limit) async throws -> Body {
        let buffer = try await bytes(of: request, limit: limit)
        guard buffer.readableBytes > 0 else { throw APIError.invalidJSON("The request body must be a JSON object") }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw apiError(error)
        }
    }

    /// The raw body, at most `limit` bytes (a signature is checked over these, before parsing).
    static func bytes(of request: Request, limit: Int) async throws -> ByteBuffer {
        // A declared length over the limit is refused before reading a byte of it.
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.bodyTooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge(limit: limit)
        }
    }

    /// The request's `DecodingError` in the API's words. `debugDescription` is never used: it
    /// can quote the value.
    static func apiError(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return context.codingPath.isEmpty
                ? .invalidJSON("The request body must be a JSON object")
                : .invalidField(path(context.codingPath), "must not be null")
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty { return .invalidJSON("The request body must be a JSON object") }
            return .invalidField(path(context.codingPath), "must be \(jsonTypeName(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return .invalidJSON("The request body is not valid JSON (UTF-8)") }
            // Our own checks (`PositiveID`, `Moment`…) say what they expect in `underlyingError`.
            let reason = (context.underlyingError as? FieldProblem)?.reason ?? "has an invalid value"
            return .invalidField(path(context.codingPath), reason)
        @unknown default:
            return .invalidJSON("The request body could not be read")
        }
    }

    /// "consents.personal_data", "items[2].id".
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Int64.Type, is Int.Type: return "an integer"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Dictionary") { return "an object" }
            if name.hasPrefix("Array") { return "an array" }
            return "of another type"
        }
    }
}

/// Why a decoded field was refused, carried in a `DecodingError`'s `underlyingError`; a fixed
/// text that never quotes the value.
struct FieldProblem: Error {
    let reason: String
}

extension SingleValueDecodingContainer {
    /// Throws a `dataCorrupted` error carrying `reason` for `JSONBody` to report.
    func refuse(_ reason: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: reason, underlyingError: FieldProblem(reason: reason)))
    }
}
