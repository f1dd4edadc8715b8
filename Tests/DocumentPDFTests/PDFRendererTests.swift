import DocumentPDF
import Foundation
import Testing

@Suite("PDFRenderer: A4 documents in Russian and Kazakh, read back with poppler")
struct PDFRendererTests {
    static let created = Date(timeIntervalSince1970: 1_796_000_000)

    static func referral(_ body: [String] = ["Жалпы қан анализі. Таңертең аш қарынға келіңіз."], fields: [PDFField] = []) -> PDFContent {
        PDFContent(
            language: "kk",
            clinic: ["«Денсаулық» емханасы", "Астана қ., Абай даңғылы, 10"],
            title: "Жолдама",
            fields: [PDFField("Нөмірі", "2026-000042"), PDFField("Күні", "5 желтоқсан 2026 ж."), PDFField("Пациент", "Әлия Серікқызы Нұрланова")] + fields,
            body: body,
            footer: "Құжат электрондық түрде жасалған.",
            created: created)
    }

    @Test("every Kazakh letter survives a round trip through pdftotext")
    func kazakhRoundTrip() throws {
        let pdf = try PDFRenderer.render(Self.referral(["Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі — барлық әріптер."]))
        let text = try Poppler.text(pdf).words
        #expect(text.contains("Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі — барлық әріптер."))
        #expect(text.contains("«Денсаулық» емханасы"))
        #expect(text.contains("Жолдама"))
        #expect(text.contains("Пациент Әлия Серікқызы Нұрланова"))
        #expect(text.contains("Нөмірі 2026-000042"))
        #expect(text.contains("Құжат электрондық түрде жасалған."))
    }

    @Test("a Russian document reads back word for word")
    func russianRoundTrip() throws {
        var content = Self.referral(["Общий анализ крови. Приходите натощак, с 8:00 до 10:00."])
        content.language = "ru"
        content.title = "Направление"
        content.fields = [PDFField("Пациент", "Иванов Иван Иванович"), PDFField("Врач", "Ахметова Гульнар")]
        let text = try Poppler.text(try PDFRenderer.render(content)).words
        #expect(text.contains("Направление"))
        #expect(text.contains("Пациент Иванов Иван Иванович"))
        #expect(text.contains("Врач Ахметова Гульнар"))
        #expect(text.contains("Общий анализ крови. Приходите натощак, с 8:00 до 10:00."))
    }

    @Test("a one-page document is one A4 page with its title and date in the metadata")
    func metadata() throws {
        let info = try Poppler.info(try PDFRenderer.render(Self.referral()))
        #expect(info["Pages"] == "1")
        #expect(info["Title"] == "Жолдама")
        #expect(info["Creator"] == "clinic-bot")
        #expect(info["Page size"]?.hasPrefix("595.28 x 841.89") == true)
        #expect(info["CreationDate"]?.contains("2026") == true)
    }

    @Test("a long text flows onto further pages, each with the clinic's header, footer and number, losing no line")
    func pagination() throws {
        let paragraphs = (1...60).map { "Абзац \($0). Дәрігердің ұсынысы: күніне екі рет, тамақтан кейін, он күн бойы қабылдаңыз." }
        let pdf = try PDFRenderer.render(Self.referral(paragraphs))
        let pages = Int(try Poppler.info(pdf)["Pages"] ?? "") ?? 0
        #expect(pages >= 2)
        let text = try Poppler.text(pdf)
        let perPage = text.split(separator: "\u{0C}", omittingEmptySubsequences: true).map { String($0).words }
        #expect(perPage.count == pages)
        for (index, page) in perPage.enumerated() {
            #expect(page.contains("«Денсаулық» емханасы"))
            #expect(page.contains("Құжат электрондық түрде жасалған."))
            #expect(page.hasSuffix(String(index + 1)))
        }
        let all = text.words
        for number in 1...60 {
            #expect(all.contains("Абзац \(number). Дәрігердің ұсынысы"))
        }
    }

    @Test("a field value longer than a page is still printed in full")
    func tallField() throws {
        let long = (1...120).map { "жол\($0)" }.joined(separator: "\n")
        let pdf = try PDFRenderer.render(Self.referral([], fields: [PDFField("Қорытынды", long)]))
        let text = try Poppler.text(pdf).words
        #expect(text.contains("жол1 "))
        #expect(text.contains("жол120"))
    }

    @Test("markup-looking text is printed as it is, not interpreted")
    func noMarkup() throws {
        let pdf = try PDFRenderer.render(Self.referral(["<b>1 < 2 & 3 > 2</b>"]))
        #expect(try Poppler.text(pdf).words.contains("<b>1 < 2 & 3 > 2</b>"))
    }

    @Test("documents rendered at once on several threads are all whole")
    func concurrent() async throws {
        let texts = try await withThrowingTaskGroup(of: String.self) { group throws in
            for index in 0..<8 {
                group.addTask {
                    var content = Self.referral(["Талдау нәтижесі №\(index)."])
                    content.title = "Нәтиже \(index)"
                    return try Poppler.text(try PDFRenderer.render(content)).words
                }
            }
            var texts: [String] = []
            for try await text in group { texts.append(text) }
            return texts
        }
        #expect(texts.count == 8)
        for index in 0..<8 {
            #expect(texts.contains { $0.contains("Нәтиже \(index)") && $0.contains("Талдау нәтижесі №\(index).") })
        }
    }

    @Test("the file is a PDF and embeds its font, so it reads the same on any phone")
    func embedsFont() throws {
        let pdf = try PDFRenderer.render(Self.referral())
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(String(decoding: pdf, as: UTF8.self).contains("DejaVuSans"))
    }
}
