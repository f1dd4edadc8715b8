import AsyncHTTPClient
import ClinicContract
import FlowEngine
import Foundation
import Hummingbird
import NIOCore

/// The fake bank's payment page, for a demo: `GET /pay?<the clinic's signed link>` shows what is
/// asked and a "pay" button; pressing it (`POST /pay`, same query) settles the payment and posts
/// the signed callback to the link's `callback` address, as a bank would. A link whose signature
/// is not the clinic's is refused. Loopback only: nothing here is a real bank.
enum FakeBankPage {
    static func routes(on router: Router<BasicRequestContext>, bank: FakeBank) {
        router.get("pay") { request, _ -> Response in
            guard let link = await Link(request, bank: bank) else { return refused }
            return page("""
                <h1>Оплата</h1>
                <p>Заказ <code>\(HTMLText.escape(link.order))</code>: <b>\(HTMLText.escape(Money.format(tiyn: link.amount)))</b></p>
                <form method="post" action="/pay?\(HTMLText.escape(request.uri.query ?? ""))"><button type="submit">Оплатить</button></form>
                """)
        }
        router.post("pay") { request, _ -> Response in
            guard let link = await Link(request, bank: bank) else { return refused }
            // Settled and signed now: the callback's own time window starts here.
            let callback = await bank.settle(order: link.order, amount: link.amount, currency: link.currency)
            let delivered = await deliver(callback, to: link.callback)
            return page(delivered ? "<h1>Оплачено</h1><p>Клиника получила подтверждение. Можно вернуться в Telegram.</p>"
                                  : "<h1>Оплачено</h1><p>Клиника не приняла уведомление банка.</p>")
        }
    }

    static var refused: Response { page(status: .forbidden, "Ссылка на оплату не подписана клиникой или повреждена.") }

    /// A payment link the clinic signed, as the bank checked it.
    struct Link {
        let order: String
        let amount: Int64
        let currency: String
        /// Where the clinic wants the callback.
        let callback: String

        init?(_ request: Request, bank: FakeBank) async {
            let text = "http://bank.local" + request.uri.description
            let items = Dictionary((URLComponents(string: text)?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
            guard let callback = items["callback"], callback.hasPrefix("http://") || callback.hasPrefix("https://"),
                  let signed = items["ts"].flatMap({ Int64($0) }) else { return nil }
            // The signature is checked as of the link's own time: a patient may take longer than
            // the callbacks' 5 minutes to pay, and whether the invoice is still payable is the
            // clinic's to say when the callback comes.
            guard let asked = try? await bank.check(link: text, now: Date(timeIntervalSince1970: Double(signed))) else { return nil }
            (order, amount, currency) = asked
            self.callback = callback
        }
    }

    /// Posts the signed callback; true when the clinic answered 2xx.
    static func deliver(_ callback: FakeBank.Callback, to url: String) async -> Bool {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: PaymentSignature.timestampHeader, value: callback.timestamp)
        request.headers.add(name: PaymentSignature.signatureHeader, value: callback.signature)
        request.body = .bytes(ByteBuffer(bytes: callback.body))
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(10)) else { return false }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return (200..<300).contains(Int(response.status.code))
    }

    static func page(status: HTTPResponse.Status = .ok, _ body: String) -> Response {
        let html = """
            <!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Демо-банк</title></head>
            <body style="font-family: sans-serif; max-width: 32em; margin: 3em auto">\(body)</body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Text for HTML: every character that could open markup is escaped.
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
