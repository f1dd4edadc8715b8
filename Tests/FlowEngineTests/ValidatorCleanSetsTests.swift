import Foundation
import Testing
@testable import FlowEngine

@Suite("Validator: sets without mistakes")
struct ValidatorCleanSetsTests {
    // The shipped flows are checked with the real action signatures in ShippedFlowsTests.

    @Test func aMinimalValidSetHasNoDiagnosticsAtAll() {
        #expect(Validation.run(flows: []) == [])
    }

    @Test func aValidFlowUsingEveryKindOfStepHasNoDiagnosticsAtAll() {
        let flow = """
            flow: booking
            params: [clinic]
            triggers:
              commands: [book]
              texts: [booking.menu_button]
            entry: ask_name
            steps:
              ask_name:
                ask: booking.name
                input: name
                save: form.name
                next: ask_birth_date
              ask_birth_date:
                ask: booking.birth_date
                input: { type: birth_date, max_age: 120 }
                invalid: { future: booking.future }
                back: true
                save: form.birth_date
                next: create
              create:
                do: patient.create
                with: { name: form.name, birth_date: form.birth_date, consent: true }
                save: patient
                commit: true
                on: { ok: find, duplicate: create_failed, error: create_failed }
              create_failed:
                ask: booking.failed
                choices:
                  - { label: booking.retry, value: retry, next: create }
                back: true
              find:
                do: slots.find
                with: { day: "today()" }
                save: found
                on: { ok: pick, none: none_free, error: none_free }
              pick:
                ask: booking.pick
                args: { name: patient.full_name }
                choices: { from: found.slots, label: item.title, value: item.id, empty: none_free }
                save: form.slot
                next: check
              check:
                if: form.slot == found.first
                then: first_slot
                else: done
              first_slot:
                set: { form.first: true }
                next: done
              done:
                say: booking.done
                args: { name: patient.full_name, clinic: params.clinic, who: user.name }
                next: wait_a_bit
              wait_a_bit:
                wait: { for: 300 }
                next: menu
              menu:
                ask: booking.menu
                keyboard:
                  - [ { label: booking.again, value: again, next: ask_name } ]
                  - [ booking.menu_button ]
              none_free:
                call: waitlist
                with: { day: "today()" }
                end: true
            sensitive: [form]
            """
        let waitlist = """
            flow: waitlist
            params: [day]
            entry: added
            steps:
              added:
                say: waitlist.added
                args: { day: params.day }
                return: true
            """
        let ru = """
            booking:
              name: "Как вас зовут?"
              birth_date: "Дата рождения?"
              future: "Эта дата ещё не наступила"
              failed: "Не получилось"
              retry: "Повторить"
              pick: "{name}, выберите время"
              done: "{name}, вы записаны в {clinic}. {who}"
              menu: "Что дальше?"
              again: "Ещё раз"
              menu_button: "Запись"
            waitlist:
              added: "Вы в листе ожидания на {day:date}"
            """
        let kk = """
            booking:
              name: "Атыңыз кім?"
              birth_date: "Туған күніңіз?"
              future: "Бұл күн әлі келген жоқ"
              failed: "Болмады"
              retry: "Қайталау"
              pick: "{name}, уақытты таңдаңыз"
              done: "{name}, сіз {clinic} жазылдыңыз. {who}"
              menu: "Әрі қарай?"
              again: "Тағы"
              menu_button: "Жазылу"
            waitlist:
              added: "Сіз {day:date} күту тізіміндесіз"
            """
        #expect(Validation.run(flows: [("flows/booking.yaml", flow), ("flows/waitlist.yaml", waitlist)], ru: ru, kk: kk) == [])
    }
}
