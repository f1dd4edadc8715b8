import ArgumentParser
import DocumentPDF
import Foundation

/// `clinic-bot bench-pdf`: one-page referrals in Kazakh rendered one after another (on one
/// core by default, as the target says), then in parallel; prints documents per
/// second, p50/p99 per document, and this process's peak memory. No database: the renderer
/// alone, as the composer calls it.
struct BenchPDFCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-pdf",
        abstract: "PDF generation speed: one-page Kazakh documents per second and p99 (docs/benchmarks.md).")

    @Option(help: "Documents to render.") var documents = 500
    @Option(help: "Documents rendered at once (1: one core).") var concurrency = 1
    @Option(help: "Write one of the documents here, to look at.") var sample: String?

    func run() async throws {
        guard documents > 0, (1...64).contains(concurrency) else { throw CommandFailure("--documents must be positive and --concurrency 1 to 64") }
        let first = try PDFRenderer.render(Self.referral(0))
        if let sample { try Data(first).write(to: URL(fileURLWithPath: sample)) }
        // Warm up (fonts loaded, caches filled) before anything is timed.
        for index in 1...20 { _ = try PDFRenderer.render(Self.referral(index)) }

        let started = ContinuousClock.now
        let timings = try await withThrowingTaskGroup(of: [Duration].self) { group throws in
            for lane in 0..<concurrency {
                group.addTask {
                    var timings: [Duration] = []
                    for index in stride(from: lane, to: documents, by: concurrency) {
                        let start = ContinuousClock.now
                        _ = try PDFRenderer.render(Self.referral(index))
                        timings.append(ContinuousClock.now - start)
                    }
                    return timings
                }
            }
            var all: [Duration] = []
            for try await lane in group { all += lane }
            return all.sorted()
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func milliseconds(_ quantile: Double) -> String {
            let duration = timings[min(timings.count - 1, Int(Double(timings.count) * quantile))]
            let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
            return String(format: "%.1f", value)
        }
        print("\(documents) one-page Kazakh documents (\(first.count / 1024) KB each), \(concurrency) at a time")
        print(String(format: "= %.0f documents/s", Double(documents) / seconds))
        print("per document: p50 \(milliseconds(0.5)) ms, p99 \(milliseconds(0.99)) ms, max \(milliseconds(1)) ms (target p99 < 100 ms on one core)")
        print("peak memory (VmHWM): \(BenchServe.peakMemory(of: ProcessInfo.processInfo.processIdentifier)) (target < 150 MB)")
    }

    /// A referral as the clinic words it: the composer's rows, a doctor, three paragraphs.
    static func referral(_ index: Int) -> PDFContent {
        PDFContent(
            language: "kk",
            clinic: ["«Денсаулық» көпсалалы емханасы", "Астана қ., Қабанбай батыр даңғылы, 45 · +7 7172 00 00 00"],
            title: "Жолдама",
            fields: [
                PDFField("Нөмірі", String(format: "2026-%06d", index + 1)),
                PDFField("Күні", "5 желтоқсан 2026 ж."),
                PDFField("Пациент", "Әлихан Серікұлы Нұрмағамбетов"),
                PDFField("Дәрігер", "Гүлнәр Құдайбергенқызы Өтеғұлова, кардиолог"),
            ],
            body: [
                "Кардиологтың кеңесіне және электрокардиограммаға жіберіледі. Қабылдауға дейін екі сағат бұрын ас ішпеңіз, дәрі-дәрмектердің тізімін ала келіңіз.",
                "Жолдама берілген күннен бастап отыз күн бойы жарамды. Тіркеу орнында жеке куәлігіңізді көрсетіңіз.",
                "Сұрақтарыңыз болса, емхананың анықтама қызметіне хабарласыңыз: күн сайын 08:00-ден 20:00-ге дейін.",
            ],
            footer: "Құжат электрондық түрде жасалған және қолтаңбасыз жарамды.",
            created: Date())
    }
}
