import Foundation
import Yams

/// A YAML file read into Yams' node tree, which keeps line and column marks that Codable drops.
struct YAMLFile {
    let path: String
    let root: Node?
    /// The source, to find where a character of a scalar's text is (`location(inside:offset:)`).
    let text: String
    /// Whether the text could not be parsed (the diagnostic is already given).
    let failed: Bool

    /// Parses `text`; a syntax error becomes one diagnostic at the place libyaml names.
    static func parse(_ text: String, path: String, into diagnostics: inout [Diagnostic]) -> YAMLFile {
        do {
            return YAMLFile(path: path, root: try Yams.compose(yaml: text), text: text, failed: false)
        } catch YamlError.duplicatedKeysInMapping(let keys, let context) {
            // Yams refuses the whole file; say which key, where it is repeated, and nothing else
            // (its own message quotes the entire file).
            for key in keys {
                let (first, again) = duplicateKeyLocations(of: key, near: context.mark, in: text, path: path)
                diagnostics.append(.error("duplicate-key", at: again ?? first, "duplicate key '\(key)' (first given at line \(first.line))"))
            }
        } catch let error as YamlError {
            diagnostics.append(.error("yaml", at: location(of: error, in: path), "YAML syntax: \(problem(of: error))"))
        } catch {
            diagnostics.append(.error("yaml", at: SourceLocation(file: path, line: 1, column: 1), "YAML syntax: \(error)"))
        }
        return YAMLFile(path: path, root: nil, text: text, failed: true)
    }

    /// Where a key repeated in one mapping is first given and given again. Yams names only the
    /// first place; the mapping's other keys are found in the source: in a block mapping at the
    /// same column, in a flow mapping (`{ a: 1, a: 2 }`) on the same line.
    static func duplicateKeyLocations(of key: String, near mark: Mark, in text: String, path: String)
        -> (first: SourceLocation, again: SourceLocation?)
    {
        let lines = sourceLines(text)
        let column = mark.column - 1
        func keyAt(_ line: [Unicode.Scalar], _ start: Int) -> Bool {
            let name = Array(key.unicodeScalars)
            guard start + name.count <= line.count, Array(line[start..<start + name.count]) == name else { return false }
            let rest = line[(start + name.count)...].drop { $0 == " " || $0 == "\t" }
            return rest.first == ":"
        }
        func indentation(_ line: [Unicode.Scalar]) -> Int? {
            let n = line.prefix { $0 == " " }.count
            return n == line.count || line[n] == "#" ? nil : n
        }
        guard mark.line >= 1, mark.line <= lines.count else {
            return (SourceLocation(file: path, line: 1, column: 1), nil)
        }
        // The block mapping around the mark: the lines indented at least as deep as its keys.
        var top = mark.line, bottom = mark.line
        while top > 1, indentation(lines[top - 2]).map({ $0 >= column }) ?? true { top -= 1 }
        while bottom < lines.count, indentation(lines[bottom]).map({ $0 >= column }) ?? true { bottom += 1 }
        var found: [SourceLocation] = []
        for n in top...bottom where indentation(lines[n - 1]) == column && keyAt(lines[n - 1], column) {
            found.append(SourceLocation(file: path, line: n, column: column + 1))
        }
        if found.count < 2 {
            let line = lines[mark.line - 1]
            found = (column..<line.count).filter { i in
                keyAt(line, i) && (i == 0 || [" ", "{", ","].contains(line[i - 1]))
            }.map { SourceLocation(file: path, line: mark.line, column: $0 + 1) }
        }
        let first = found.first ?? SourceLocation(file: path, line: mark.line, column: mark.column)
        return (first, found.count > 1 ? found[1] : nil)
    }

    static func sourceLines(_ text: String) -> [[Unicode.Scalar]] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = Array(line.unicodeScalars)
            if scalars.last == "\r" { scalars.removeLast() }
            return scalars
        }
    }

    /// Where the `offset`-th Unicode scalar of a scalar node's text is in the file. The text is not
    /// a copy of the source: an opening quote, escapes (`\"`, `''`), the indentation of a block
    /// scalar (`|`, `>`) and the folding of lines all move its characters, so this walks the
    /// source alongside the text.
    func location(inside node: Node, offset: Int) -> SourceLocation {
        guard case .scalar(let scalar) = node, let mark = node.mark else { return location(of: node) }
        let lines = Self.sourceLines(text)
        guard mark.line >= 1, mark.line <= lines.count else { return location(of: node) }
        func source(_ n: Int) -> [Unicode.Scalar] { n >= 1 && n <= lines.count ? lines[n - 1] : [] }
        func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

        let block = scalar.style == .literal || scalar.style == .folded
        let folds = scalar.style != .literal
        var line = mark.line
        var column = mark.column - 1  // 0-based, in Unicode scalars, as libyaml counts
        var indent = 0
        if block {
            // The text starts on the line after the `|` or `>`, at the block's indentation.
            line += 1
            indent = (line...max(line, lines.count)).lazy.map(source).first { !$0.allSatisfy(isBlank) }?
                .prefix { $0 == " " }.count ?? 0
            column = indent
        } else if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
            column += 1
        }
        var current = source(line)
        var remaining = min(max(0, offset), scalar.string.unicodeScalars.count)
        var onEmptyLine = false
        while remaining > 0, line <= lines.count {
            // Trailing blanks of a line of a plain or quoted scalar are not part of its text.
            let end = block ? current.count : (current.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? 0)
            if column < end {
                let c = current[column]
                if scalar.style == .doubleQuoted, c == "\\" {
                    guard column + 1 < end else {
                        // An escaped line break joins the lines without a space.
                        line += 1
                        current = source(line)
                        column = current.firstIndex { !isBlank($0) } ?? current.count
                        continue
                    }
                    switch current[column + 1] {
                    case "x": column += 4
                    case "u": column += 6
                    case "U": column += 10
                    default: column += 2
                    }
                } else if scalar.style == .singleQuoted, c == "'", column + 1 < current.count, current[column + 1] == "'" {
                    column += 2
                } else {
                    column += 1
                }
                remaining -= 1
                continue
            }
            // The end of a source line is a line break in the text; where lines fold, a break
            // between two lines is one space and each empty line one line break.
            let next = source(line + 1)
            let nextIsEmpty = next.allSatisfy(isBlank)
            if !folds || !onEmptyLine || nextIsEmpty { remaining -= 1 }
            line += 1
            current = next
            column = block ? indent : (next.firstIndex { !isBlank($0) } ?? next.count)
            onEmptyLine = nextIsEmpty
        }
        return SourceLocation(file: path, line: line, column: column + 1)
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
