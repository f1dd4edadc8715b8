import ClinicContract
import FlowEngine
import Foundation

/// Typed reads of a call's arguments inside an action. The registry has already checked them
/// against the signature; these reads still throw rather than trap, so an action stays safe
/// when called some other way.
public struct ActionArguments: Sendable {
    public let values: [String: Value]

    public init(_ values: [String: Value]) { self.values = values }

    public func string(_ name: String) throws -> String {
        guard let text = try optionalString(name) else { throw InvalidInput(field: name, reason: "is missing") }
        return text
    }

    public func optionalString(_ name: String) throws -> String? {
        switch values[name] ?? .null {
        case .null: return nil
        case .string(let text): return text
        default: throw InvalidInput(field: name, reason: "must be text")
        }
    }

    public func bool(_ name: String) throws -> Bool {
        guard let flag = try optionalBool(name) else { throw InvalidInput(field: name, reason: "is missing") }
        return flag
    }

    public func optionalBool(_ name: String) throws -> Bool? {
        switch values[name] ?? .null {
        case .null: return nil
        case .bool(let flag): return flag
        default: throw InvalidInput(field: name, reason: "must be true or false")
        }
    }
}

extension ActionArguments {
    /// A database id: a whole number above zero.
    public func id(_ name: String) throws -> Int64 {
        guard let id = try optionalID(name) else { throw InvalidInput(field: name, reason: "is missing") }
        return id
    }

    public func optionalID(_ name: String) throws -> Int64? {
        switch values[name] ?? .null {
        case .null: return nil
        case .int(let number) where number > 0: return Int64(number)
        default: throw InvalidInput(field: name, reason: "must be a positive whole number")
        }
    }

    /// An ISO date "YYYY-MM-DD".
    public func date(_ name: String) throws -> CalendarDate {
        guard let date = try optionalDate(name) else { throw InvalidInput(field: name, reason: "is missing") }
        return date
    }

    public func optionalDate(_ name: String) throws -> CalendarDate? {
        switch values[name] ?? .null {
        case .null: return nil
        case .string(let text):
            guard let date = CalendarDate(iso: text) else { throw InvalidInput(field: name, reason: "must be a date YYYY-MM-DD") }
            return date
        default: throw InvalidInput(field: name, reason: "must be a date YYYY-MM-DD")
        }
    }

    /// An ISO 8601 moment with a zone ("2026-11-25T09:00:00Z").
    public func moment(_ name: String) throws -> Date {
        guard case .string(let text) = values[name] ?? .null, let moment = Moment.parse(text) else {
            throw InvalidInput(field: name, reason: "must be an ISO 8601 moment with a zone")
        }
        return moment
    }
}
