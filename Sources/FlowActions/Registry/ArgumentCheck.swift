import ClinicContract
import FlowEngine

/// Why a call's arguments do not fit its action's signature. Names the parameter, never the
/// value: arguments hold IINs and phone numbers.
public enum ArgumentProblem: PIIFreeError, Sendable, Hashable, CustomStringConvertible {
    case missing(parameter: String)
    case wrongType(parameter: String, expected: ActionSignature.ValueType)
    case unexpected(parameter: String)

    public var description: String {
        switch self {
        case .missing(let p): return "missing required argument '\(p)'"
        case .wrongType(let p, let t): return "argument '\(p)' is not a \(t.rawValue)"
        case .unexpected(let p): return "unexpected argument '\(p)'"
        }
    }
}

extension ActionSignature {
    /// Every way `arguments` break this signature, in parameter order.
    ///
    /// `null` counts as absent, so an optional parameter may be passed as null (a skipped
    /// question). Undeclared arguments are refused too: a flow the validator passed never
    /// sends them, so one arriving means something upstream is wrong.
    public func problems(with arguments: [String: Value]) -> [ArgumentProblem] {
        var problems: [ArgumentProblem] = []
        for parameter in parameters {
            let value = arguments[parameter.name] ?? .null
            if value.isNull {
                if parameter.required { problems.append(.missing(parameter: parameter.name)) }
            } else if !value.fits(parameter.type) {
                problems.append(.wrongType(parameter: parameter.name, expected: parameter.type))
            }
        }
        let declared = Set(parameters.map(\.name))
        for name in arguments.keys.sorted() where !declared.contains(name) {
            problems.append(.unexpected(parameter: name))
        }
        return problems
    }
}

extension Value {
    /// Whether this value can be passed where `type` is declared. Dates and moments travel as
    /// ISO strings (see `Value`), so their shape is checked here.
    func fits(_ type: ActionSignature.ValueType) -> Bool {
        switch (type, self) {
        case (.any, _): return true
        case (.string, .string): return true
        case (.int, .int): return true
        case (.bool, .bool): return true
        case (.date, .string(let text)): return CalendarDate(iso: text) != nil
        case (.datetime, .string(let text)): return Moment.parse(text) != nil
        case (.list, .list): return true
        case (.map, .map): return true
        default: return false
        }
    }
}
