import Foundation
import Yams

/// A YAML file read into Yams' node tree, which keeps line and column marks that Codable drops.
struct YAMLFile {
    let path: String
    let root: Node?

    /// Parses `text`; a syntax error becomes one diagnostic at the place libyaml names.
    static func parse(_ text: String, path: String, into diagnostics: inout [Diagnostic]) -> YAMLFile {
        do {
            return YAMLFile(path: path, root: try Yams.compose(yaml: text))
        } catch let error as YamlError {
            diagnostics.append(.error("yaml", at: location(of: error, in: path), "YAML syntax: \(problem(of: error))"))
        } catch {
            diagnostics.append(.error("yaml", at: SourceLocation(file: path, line: 1, column: 1), "YAML syntax: \(error)"))
        }
        return YAMLFile(path: path, root: nil)
    }

    func location(of node: Node) -> SourceLocation {
        YAMLFile.location(of: node, in: path)
    }

    static func location(of node: Node, in path: String) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: path, line: 1, column: 1) }
        return SourceLocation(file: path, line: mark.line, column: mark.column)
    }

    /// Where the text of a scalar starts: after the opening quote of a quoted scalar.
    static func contentLocation(of node: Node, in path: String) -> SourceLocation {
        let start = location(of: node, in: path)
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            return start.advanced(by: 1)
        }
        return start
    }

    private static func location(of error: YamlError, in path: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: path, line: mark.line, column: mark.column)
        default:
            return SourceLocation(file: path, line: 1, column: 1)
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            if let context { return "\(problem) (\(context.text))" }
            return problem
        case .reader(let problem, _, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}

/// Reads one YAML mapping: its keys in order, with duplicates and unknown keys reported.
struct MappingReader {
    let path: String
    let node: Node
    private(set) var entries: [(key: String, keyNode: Node, value: Node)] = []

    /// `nil` (with a diagnostic) when `node` is not a mapping.
    init?(_ node: Node, path: String, what: String, diagnostics: inout [Diagnostic]) {
        guard case .mapping(let mapping) = node else {
            diagnostics.append(.error("structure", at: YAMLFile.location(of: node, in: path), "\(what) must be a mapping of keys to values"))
            return nil
        }
        self.path = path
        self.node = node
        var seen: Set<String> = []
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            if !seen.insert(name).inserted {
                diagnostics.append(.error("duplicate-key", at: YAMLFile.location(of: key, in: path), "duplicate key '\(name)' in \(what)"))
                continue
            }
            entries.append((name, key, value))
        }
    }

    subscript(key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    func keyLocation(_ key: String) -> SourceLocation? {
        entries.first { $0.key == key }.map { YAMLFile.location(of: $0.keyNode, in: path) }
    }

    var location: SourceLocation { YAMLFile.location(of: node, in: path) }

    /// Reports every key not in `allowed`, suggesting the closest allowed one.
    func rejectUnknownKeys(allowed: [String], in what: String, diagnostics: inout [Diagnostic]) {
        for entry in entries where !allowed.contains(entry.key) {
            diagnostics.append(
                .error(
                    "unknown-key", at: YAMLFile.location(of: entry.keyNode, in: path),
                    "unknown key '\(entry.key)' in \(what)\(Suggestion.hint(for: entry.key, among: allowed))"))
        }
    }
}

extension Node {
    /// A scalar's text, or nil for mappings and sequences.
    var scalarText: String? { scalar?.string }

    /// This scalar as a flow `Value`, following YAML's resolved tags (`null`, `true`, `3`, `'3'`).
    var literalValue: FlowEngine.Value? {
        guard case .scalar(let scalar) = self else {
            if case .sequence(let items) = self {
                var values: [FlowEngine.Value] = []
                for item in items {
                    guard let v = item.literalValue else { return nil }
                    values.append(v)
                }
                return .list(values)
            }
            return nil
        }
        switch Resolver.default.resolveTag(of: self) {
        case .null: return FlowEngine.Value.null
        case .bool: return Bool.construct(from: scalar).map(FlowEngine.Value.bool) ?? .string(scalar.string)
        case .int: return Int.construct(from: scalar).map(FlowEngine.Value.int) ?? .string(scalar.string)
        case .float: return Double.construct(from: scalar).map(FlowEngine.Value.double) ?? .string(scalar.string)
        default: return FlowEngine.Value.string(scalar.string)
        }
    }
}
