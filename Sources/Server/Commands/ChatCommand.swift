import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation

/// `clinic-bot chat`: the flows in a terminal, with the real actions and the real database.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the bot in the terminal (needs DATABASE_URL and PII_ENCRYPTION_KEY).",
        discussion: "Buttons are numbered: type the number or the label. Ctrl-D ends the chat.")

    @Option(help: "The language to start in: ru or kk.") var locale: String?
    @Option(help: "The Telegram user id to act as.") var userId: Int64 = 1
    @Option(help: "The flows folder.") var flows: String = Settings().flowsDirectory
    @Option(help: "The locales folder.") var locales: String?

    func run() async throws {
        // The chat shares the terminal with the person: only warnings and errors.
        Logs.bootstrap(fallback: .warning)
        let settings = Settings()
        let timeZone = try settings.timeZone()
        var startLanguage: Language?
        if let locale {
            guard let language = Language(rawValue: locale) else { throw CommandFailure("--locale must be ru or kk") }
            startLanguage = language
        }
        let set = try ShippedFlowSet.load(flows: flows, locales: locales ?? settings.localesDirectory(besides: flows), timeZone: timeZone)
        guard let url = settings.databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        guard let key = settings.piiKey else { throw CommandFailure("PII_ENCRYPTION_KEY is not set") }
        let cipher = try PIICipher(base64Key: key)

        try await withDatabase(url: url) { client in
            try await Migrator(client: client).migrate()
            try await PIIKeyGuard.verify(cipher, client: client)
            // With CLINIC_API_URL the scheduling comes from the clinic's own REST API.
            let remote = try settings.remoteClinic().map { RemoteClinic(baseURL: $0.url, secret: $0.token) }
            let actions = ClinicActions.registry(client: client, cipher: cipher, policy: try settings.bookingPolicy(), remote: remote)
            let conversation = Conversation(interpreter: Interpreter(set: set), actions: actions)
            var session = Session(userID: userId)
            session.locale = startLanguage
            session.flowsVersion = set.version
            var renderer = TerminalRenderer(userID: userId)
            var jobs: [Job] = []
            print("clinic-bot chat — type your answers; buttons by number or label; Ctrl-D to quit.")

            func send(_ event: Event) async {
                let outcome = await conversation.handle(event, session: &session, now: Date())
                jobs += outcome.jobs
                print(renderer.show(outcome.replies), terminator: "")
            }

            await send(.command("start", argument: ""))
            while true {
                print("> ", terminator: "")
                fflush(nil)
                guard let line = readLine(strippingNewline: true) else { break }
                guard let event = renderer.event(for: line, sharedPhone: {
                    print("📱 your phone number to share: ", terminator: "")
                    fflush(nil)
                    return readLine(strippingNewline: true)
                }) else { continue }
                await send(event)
                let now = Date()
                let due = jobs.filter { (Moment.parse($0.at) ?? .distantFuture) <= now }
                jobs.removeAll { due.contains($0) }
                for job in due { await send(.resume(job)) }
            }
            print("")
        }
    }
}
