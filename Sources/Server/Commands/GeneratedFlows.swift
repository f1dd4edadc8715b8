import FlowEngine

/// A large synthetic flow set for the validator benchmark: every step kind, routes between
/// flows, texts in both languages.
struct GeneratedFlows {
    let flowSources: [FlowSetLoader.Source]
    let localeSources: [FlowSetLoader.Source]

    static let signatures = [
        ActionSignature(name: "data.fetch", summary: "", parameters: [.init("id", .int)], outcomes: ["ok", "not_found"], resultFields: ["name", "items"])
    ]

    init(flows: Int, stepsPerFlow: Int) {
        var flowSources: [FlowSetLoader.Source] = []
        var ru = "common:\n  back: Назад\n  stale_button: Кнопка устарела\n  error: Ошибка\n  flow_updated: Обновлено\n  unknown_command: Неизвестная команда\nerrors:\n  choice:\n    use_buttons: Выберите кнопку\n"
        var kk = "common:\n  back: Артқа\n  stale_button: Батырма ескірген\n  error: Қате\n  flow_updated: Жаңартылды\n  unknown_command: Белгісіз пәрмен\nerrors:\n  choice:\n    use_buttons: Батырманы таңдаңыз\n"
        for reason in InputType.text.reasons {
            ru += "  text:\n" .repeated(if: reason == InputType.text.reasons[0]) + "    \(reason): Неверно\n"
            kk += "  text:\n" .repeated(if: reason == InputType.text.reasons[0]) + "    \(reason): Қате\n"
        }
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

extension String {
    fileprivate func repeated(if condition: Bool) -> String { condition ? self : "" }
}
