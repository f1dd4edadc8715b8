import FlowEngine

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
