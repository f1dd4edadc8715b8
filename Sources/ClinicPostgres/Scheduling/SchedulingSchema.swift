/// Branches, services, doctors, their weekly schedules and exceptions, and appointments.
///
/// Times of day are the clinic's local time (`CLINIC_TIMEZONE`); moments are `timestamptz`
/// (UTC). Double booking is impossible in the database itself: an exclusion constraint keeps
/// the busy ranges of one doctor's live appointments (the visit plus the doctor's minimum gap)
/// from overlapping, so two patients pressing one slot at once get one booking and one
/// "slot taken".
enum SchedulingSchema {
    static let scheduling = Migration(version: 4, name: "scheduling", sql: """
        CREATE TABLE branches (
            id              bigserial PRIMARY KEY,
            name_ru         text NOT NULL,
            name_kk         text NOT NULL,
            address_ru      text NOT NULL,
            address_kk      text NOT NULL,
            phone           text NOT NULL,
            latitude        double precision NULL CHECK (latitude BETWEEN -90 AND 90),
            longitude       double precision NULL CHECK (longitude BETWEEN -180 AND 180),
            working_hours_ru text NOT NULL DEFAULT '',
            working_hours_kk text NOT NULL DEFAULT '',
            is_active       boolean NOT NULL DEFAULT true
        );

        CREATE TABLE services (
            id                  bigserial PRIMARY KEY,
            branch_id           bigint NOT NULL REFERENCES branches (id),
            name_ru             text NOT NULL,
            name_kk             text NOT NULL,
            duration_minutes    integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480),
            price_tenge         integer NOT NULL CHECK (price_tenge >= 0),
            prepayment_required boolean NOT NULL DEFAULT false,
            osms_covered        boolean NOT NULL DEFAULT false,
            online_booking      boolean NOT NULL DEFAULT true,
            is_active           boolean NOT NULL DEFAULT true
        );
        CREATE INDEX services_branch_idx ON services (branch_id);

        CREATE TABLE doctors (
            id                bigserial PRIMARY KEY,
            full_name_ru      text NOT NULL,
            full_name_kk      text NOT NULL,
            specialty_ru      text NOT NULL,
            specialty_kk      text NOT NULL,
            slot_step_minutes integer NOT NULL CHECK (slot_step_minutes IN (5, 10, 15, 20, 30, 60)),
            min_gap_minutes   integer NOT NULL DEFAULT 0 CHECK (min_gap_minutes BETWEEN 0 AND 240),
            is_active         boolean NOT NULL DEFAULT true
        );

        CREATE TABLE doctor_branches (
            doctor_id bigint NOT NULL REFERENCES doctors (id),
            branch_id bigint NOT NULL REFERENCES branches (id),
            PRIMARY KEY (doctor_id, branch_id)
        );

        CREATE TABLE doctor_services (
            doctor_id            bigint NOT NULL REFERENCES doctors (id),
            service_id           bigint NOT NULL REFERENCES services (id),
            price_override_tenge integer NULL CHECK (price_override_tenge >= 0),
            PRIMARY KEY (doctor_id, service_id)
        );
        CREATE INDEX doctor_services_service_idx ON doctor_services (service_id);

        -- A doctor's working window on one weekday (1 = Monday … 7 = Sunday) at one branch.
        CREATE TABLE doctor_schedules (
            id        bigserial PRIMARY KEY,
            doctor_id bigint NOT NULL REFERENCES doctors (id),
            branch_id bigint NOT NULL REFERENCES branches (id),
            weekday   smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
            starts    time NOT NULL,
            ends      time NOT NULL,
            CHECK (starts < ends)
        );
        CREATE INDEX doctor_schedules_doctor_idx ON doctor_schedules (doctor_id, weekday);

        CREATE TABLE schedule_breaks (
            id          bigserial PRIMARY KEY,
            schedule_id bigint NOT NULL REFERENCES doctor_schedules (id) ON DELETE CASCADE,
            starts      time NOT NULL,
            ends        time NOT NULL,
            CHECK (starts < ends)
        );

        -- Days off and vacations (no work on any day in the range) and shortened days (work only
        -- between starts and ends on those days).
        CREATE TABLE schedule_exceptions (
            id        bigserial PRIMARY KEY,
            doctor_id bigint NOT NULL REFERENCES doctors (id),
            date_from date NOT NULL,
            date_to   date NOT NULL,
            kind      text NOT NULL CHECK (kind IN ('day_off', 'vacation', 'shortened')),
            starts    time NULL,
            ends      time NULL,
            note      text NOT NULL DEFAULT '',
            CHECK (date_from <= date_to),
            CHECK ((kind = 'shortened') = (starts IS NOT NULL AND ends IS NOT NULL)),
            CHECK (starts IS NULL OR starts < ends)
        );
        CREATE INDEX schedule_exceptions_doctor_idx ON schedule_exceptions (doctor_id, date_from, date_to);

        CREATE TABLE appointments (
            id          bigserial PRIMARY KEY,
            -- A short number a patient can read out at the registry desk.
            code        text NOT NULL UNIQUE,
            patient_id  bigint NOT NULL REFERENCES patients (id),
            doctor_id   bigint NOT NULL REFERENCES doctors (id),
            service_id  bigint NOT NULL REFERENCES services (id),
            branch_id   bigint NOT NULL REFERENCES branches (id),
            starts_at   timestamptz NOT NULL,
            ends_at     timestamptz NOT NULL,
            -- ends_at plus the doctor's minimum gap: the range no other visit may touch.
            busy_until  timestamptz NOT NULL,
            status      text NOT NULL DEFAULT 'booked'
                        CHECK (status IN ('booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show')),
            source      text NOT NULL DEFAULT 'telegram' CHECK (source IN ('telegram', 'api', 'registry')),
            price_tenge integer NOT NULL CHECK (price_tenge >= 0),
            created_at  timestamptz NOT NULL DEFAULT now(),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            cancelled_at timestamptz NULL,
            -- What the reminder scheduler has done, so each message goes out once.
            reminded_day_before_at  timestamptz NULL,
            reminded_3h_before_at   timestamptz NULL,
            reminded_1h_before_at   timestamptz NULL,
            arrival_checked_at      timestamptz NULL,
            feedback_requested_at   timestamptz NULL,
            CHECK (starts_at < ends_at AND ends_at <= busy_until),
            -- "Same doctor" as overlapping one-point ranges: built-in GiST operator classes, so no
            -- extension (btree_gist) and no superuser are needed.
            CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
                int8range(doctor_id, doctor_id, '[]') WITH &&, tstzrange(starts_at, busy_until) WITH &&
            ) WHERE (status <> 'cancelled')
        );
        CREATE INDEX appointments_doctor_time_idx ON appointments (doctor_id, starts_at) WHERE status <> 'cancelled';
        CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at);
        CREATE INDEX appointments_reminders_idx ON appointments (starts_at) WHERE status IN ('booked', 'confirmed');
        """)
}

extension SchedulingSchema {
    /// The scheduling domain: branches, services, doctors, schedules, appointments.
    static let migrations: [Migration] = [scheduling]
}
