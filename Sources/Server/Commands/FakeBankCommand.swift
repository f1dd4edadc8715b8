import ArgumentParser
import Foundation
import PaymentFakes

/// `clinic-bot fake-bank`: the tests' bank on loopback, for a demo of bank payments without a
/// bank. It prints the settings that point `serve` (or `api`) at it; a patient's payment link
/// opens its page, and "Оплатить" posts the signed callback to the clinic. Never for money.
struct FakeBankCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-bank",
        abstract: "A demo bank on 127.0.0.1: payment links open its page, and paying there posts the signed callback to the clinic.")

    @Option(help: "The port on 127.0.0.1.") var port = 18097
    @Option(help: "The secret callbacks are signed with (PAYMENT_PROVIDER_SECRET), at least 32 characters.")
    var secret = "demo-bank-callback-secret-0123456789"
    @Option(help: "The token of status calls (PAYMENT_PROVIDER_TOKEN), at least 32 characters.")
    var token = "demo-bank-status-token-0123456789abcd"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be from 1 to 65535") }
        guard secret.count >= 32, token.count >= 32 else { throw ValidationError("--secret and --token must be at least 32 characters") }
    }

    func run() async throws {
        try await FakeBank.serve(FakeBank(secret: secret, token: token), port: port) { _, baseURL in
            print("""
                demo bank at \(baseURL) (not a real bank: nothing is charged). Start the bot with:
                  PAYMENT_PROVIDER_URL=\(baseURL) PAYMENT_PROVIDER_SECRET=\(secret) PAYMENT_PROVIDER_TOKEN=\(token) \\
                  PUBLIC_BASE_URL=http://127.0.0.1:8080 clinic-bot serve
                Ctrl-C stops it.
                """)
            fflush(nil)
            // Until the process is stopped.
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
