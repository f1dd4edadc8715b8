/// A large synthetic flow set for the validator benchmark: every step kind, routes between
/// flows, texts in both languages. It must validate without errors, or the benchmark stops:
/// the texts the engine itself shows are taken from the validator's own list, so a key added
/// there is added here too (`GeneratedFlowsTests` runs the set through the validator).
public struct GeneratedFlows: Sendable {
    public let flowSources: [FlowSetLoader.Source]
    public let localeSources: [FlowSetLoader.Source]

    public static let signatures = [
        ActionSignature(name: "data.fetch", summary: "", parameters: [.init("id", .int)], outcomes: ["ok", "not_found"], resultFields: ["name", "items"])
    ]

    public init(flows: Int, stepsPerFlow: Int) {
        var flowSources: [FlowSetLoader.Source] = []
        // The texts the engine shows and the refusals of the `text` input, as nested YAML.
        let service = Validator.engineKeys + InputType.text.reasons.map { "errors.text.\($0)" }
        var ru = Self.nested(service) { _ in "Служебный текст" }
        var kk = Self.nested(service) { _ in "Қызметтік мәтін" }
        // The server's own messages, with every value it gives them (one tree: they share `staff`).
        func placeholders(_ key: String) -> String {
            (Validator.serverMessages[key] ?? []).sorted().map { "{\($0)}" }.joined(separator: " ")
        }
        ru += Self.nested(Array(Validator.serverMessages.keys)) { "Сообщение \(placeholders($0))" }
        kk += Self.nested(Array(Validator.serverMessages.keys)) { "Хабар \(placeholders($0))" }
        ru += "g:\n"
        kk += "g:\n"
        for f in 0..<flows {
            var yaml = "flow: f\(f)\nentry: s0\n"
            if f == 0 { yaml += "triggers:\n  commands: [start]\n" }
            yaml += "steps:\n"
            for s in 0..<stepsPerFlow {
                let next = s + 1 < stepsPerFlow ? "next: s\(s + 1)" : "goto: f\((f + 1) % flows)"
                let key = "g.f\(f)_s\(s)"
                switch s % 5 {
                case 0:
                    yaml += "  s\(s):\n    ask: \(key)\n    input: text\n    back: true\n    save: form.f\(f)_s\(s)\n    \(next)\n"
                case 1:
                    yaml += "  s\(s):\n    say: \(key)\n    args: { value: form.f\(f)_s\(s - 1) }\n    \(next)\n"
                case 2:
                    yaml += "  s\(s):\n    do: data.fetch\n    with: { id: 1 }\n    save: data\n    on: { ok: s\(s + 1), not_found: s\(s + 1), error: s\(s + 1) }\n"
                case 3:
                    yaml += "  s\(s):\n    if: data.name == 'x' and len(form.f\(f)_s\(s - 3)) > 2\n    then: s\(s + 1)\n    else: s\(s + 1)\n"
                default:
                    yaml += "  s\(s):\n    ask: \(key)\n    choices:\n      - { label: g.yes, value: true }\n      - { label: g.no, value: false }\n    save: form.choice\(s)\n    \(next)\n"
                }
                let placeholder = s % 5 == 1 ? " {value}" : ""
                ru += "  f\(f)_s\(s): Шаг \(s) потока \(f)\(placeholder)\n"
                kk += "  f\(f)_s\(s): \(f) ағынының \(s)-қадамы\(placeholder)\n"
            }
            flowSources.append(.init(path: "generated/f\(f).yaml", text: yaml))
        }
        ru += "  \"yes\": Да\n  \"no\": Нет\n"
        kk += "  \"yes\": Иә\n  \"no\": Жоқ\n"
        self.flowSources = flowSources
        self.localeSources = [.init(path: "generated/ru.yaml", text: ru), .init(path: "generated/kk.yaml", text: kk)]
    }
}

extension GeneratedFlows {
    /// Dotted keys as nested YAML maps (`common.back` → `common:` / `  back: …`), each `text`.
    /// The dotted keys as nested YAML, each leaf with `text(key)`.
    static func nested(_ keys: [String], text: (String) -> String) -> String {
        final class Node { var children: [String: Node] = [:]; var key = "" }
        let root = Node()
        for key in keys {
            var node = root
            for part in key.split(separator: ".").map(String.init) {
                if node.children[part] == nil { node.children[part] = Node() }
                node = node.children[part]!
            }
            node.key = key
        }
        func write(_ node: Node, indent: String) -> String {
            node.children.sorted { $0.key < $1.key }.map { name, child in
                child.children.isEmpty ? "\(indent)\(name): \(text(child.key))\n" : "\(indent)\(name):\n" + write(child, indent: indent + "  ")
            }.joined()
        }
        return write(root, indent: "")
    }
}
