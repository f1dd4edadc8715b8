import FlowActions
import FlowEngine
import Foundation
import Testing

@Suite("The shipped flows and locales")
struct ShippedFlowsTests {
    @Test("validate without errors or warnings")
    func clean() throws {
        let (_, diagnostics) = FlowSetLoader.load(
            flowsDirectory: ShippedFlows.root.appendingPathComponent("flows").path,
            localesDirectory: ShippedFlows.root.appendingPathComponent("locales").path,
            signatures: ClinicActions.signatures)
        #expect(diagnostics.map(\.description) == [])
    }

    @Test("every conversation script in flows/tests passes")
    func scripts() async throws {
        let set = try ShippedFlows.load()
        let folder = ShippedFlows.root.appendingPathComponent("flows/tests")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count >= 8)
        let runner = ScriptRunner(set: set, signatures: ClinicActions.signatures)
        for name in names {
            let path = folder.appendingPathComponent(name).path
            let (script, problems) = ConversationScriptLoader.load(try String(contentsOfFile: path, encoding: .utf8), path: path)
            #expect(problems.isEmpty, "\(problems)")
            guard let script else { continue }
            let result = await runner.run(script)
            #expect(result.failures.isEmpty, "\(name): \(result.failures.joined(separator: "\n"))")
        }
    }

    @Test("Kazakh texts are Kazakh: its letters are used and no key holds the Russian text")
    func kazakhIsKazakh() throws {
        let set = try ShippedFlows.load()
        let ru = try #require(set.locales.catalogs[.ru]), kk = try #require(set.locales.catalogs[.kk])
        let all = kk.entries.keys.map { set.locales.plain($0, in: .kk) }.joined()
        for letter in "әғқңөұүі".unicodeScalars { #expect(all.unicodeScalars.contains(letter), "no '\(letter)' in kk.yaml") }
        for key in kk.entries.keys.sorted() where !key.hasPrefix("language.") && key != "registration.choose_language" && key != "language.choose" {
            let kazakh = set.locales.plain(key, in: .kk), russian = set.locales.plain(key, in: .ru)
            if kazakh.unicodeScalars.contains(where: { $0.properties.isAlphabetic }), kazakh.count > 12 {
                #expect(kazakh != russian, "\(key) is the same in both languages")
            }
            // «жазылым» is a subscription, not an appointment.
            #expect(!kazakh.lowercased().contains("жазылым"), "\(key) says «жазылым»")
        }
        #expect(ru.entries.keys.sorted() == kk.entries.keys.sorted())
    }
}
