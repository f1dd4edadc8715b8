import FlowEngine
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
