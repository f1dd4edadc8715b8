import FlowEngine
import Foundation
import Hummingbird

/// The query string of a request, read as typed values. A parameter given twice, or given
/// empty, is refused rather than guessed at.
struct QueryParameters {
    private let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    private func single(_ name: String) throws(APIError) -> Substring? {
        let values = parameters[values: Substring(name)]
        guard values.count <= 1 else { throw .invalidParameter(name, "is given more than once") }
        return values.first
    }

    func id(_ name: String) throws(APIError) -> Int64 {
        guard let value = try optionalID(name) else { throw .invalidParameter(name, "is required") }
        return value
    }

    func optionalID(_ name: String) throws(APIError) -> Int64? {
        guard let text = try single(name) else { return nil }
        guard let value = PositiveID.parse(text) else {
            throw .invalidParameter(name, "must be an integer from 1 to 9223372036854775807")
        }
        return value
    }

    func date(_ name: String) throws(APIError) -> CalendarDate {
        guard let value = try optionalDate(name) else { throw .invalidParameter(name, "is required") }
        return value
    }

    func optionalDate(_ name: String) throws(APIError) -> CalendarDate? {
        guard let text = try single(name) else { return nil }
        guard let date = CalendarDate(iso: String(text)) else { throw .invalidParameter(name, "must be a date YYYY-MM-DD") }
        return date
    }

    /// A whole number within `range`, or nil when absent.
    func optionalInt(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let text = try single(name) else { return nil }
        guard text.utf8.count <= 19, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text), range.contains(value) else {
            throw .invalidParameter(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// "true" or "false", or nil when absent.
    func optionalBool(_ name: String) throws(APIError) -> Bool? {
        switch try single(name) {
        case nil: return nil
        case "true": return true
        case "false": return false
        default: throw .invalidParameter(name, "must be true or false")
        }
    }

    /// An ISO 8601 date and time with its zone ("2026-03-05T00:00:00+05:00"; a "+" must be sent
    /// as %2B), or nil when absent.
    func optionalMoment(_ name: String) throws(APIError) -> Date? {
        guard let text = try single(name) else { return nil }
        guard let date = Moment.parse(String(text)) else {
            throw .invalidParameter(name, "must be an ISO 8601 date and time with a time zone, e.g. 2026-03-05T00:00:00Z")
        }
        return date
    }

    /// The text of a parameter, or nil when absent.
    func optionalString(_ name: String) throws(APIError) -> String? {
        try single(name).map(String.init)
    }

    func contains(_ name: String) -> Bool {
        !parameters[values: Substring(name)].isEmpty
    }
}

extension Parameters {
    /// A path segment that must be a positive id; a malformed one is a 400, not a 404, so a
    /// client can tell a typo from a record that does not exist.
    func id(_ name: String) throws(APIError) -> Int64 {
        guard let text = self.get(name), let value = PositiveID.parse(Substring(text)) else {
            throw .invalidParameter(name, "must be an integer from 1 to 9223372036854775807")
        }
        return value
    }
}
