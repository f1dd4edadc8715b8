-- A large clinic for the scheduling benchmark: 3 branches, 20 services, 200 doctors working
-- Monday–Saturday 08:00–20:00 (Almaty) in 30-minute steps, 1,000 patients and about 1,000,000
-- appointments from 250 days ago to 41 days ahead (about 72 % of every working slot taken).
-- Run on a freshly migrated, otherwise empty database.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO branches (name_ru, name_kk, address_ru, address_kk, phone)
SELECT 'Филиал ' || i, 'Филиал ' || i, 'ул. Абая, ' || i, 'Абай к-сі, ' || i, '+7727000000' || i FROM generate_series(1, 3) i;
INSERT INTO services (branch_id, name_ru, name_kk, duration_minutes, price_tenge)
SELECT 1 + (i % 3), 'Услуга ' || i, 'Қызмет ' || i, 30, 5000 + i * 100 FROM generate_series(1, 20) i;
INSERT INTO doctors (full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes, min_gap_minutes)
SELECT 'Врач ' || i, 'Дәрігер ' || i, 'Терапевт', 'Терапевт', 30, 0 FROM generate_series(1, 200) i;
INSERT INTO doctor_branches SELECT d.id, 1 + (d.id % 3) FROM doctors d;
INSERT INTO doctor_services (doctor_id, service_id)
SELECT d.id, s.id FROM doctors d JOIN services s ON s.branch_id = 1 + (d.id % 3);
INSERT INTO doctor_schedules (doctor_id, branch_id, weekday, starts, ends)
SELECT d.id, 1 + (d.id % 3), w, '08:00', '20:00' FROM doctors d, generate_series(1, 6) w;
INSERT INTO patients (first_name, last_name, birth_date, sex, iin_cipher, iin_hash, phone_cipher, phone_hash, language,
                      consent_personal_data, consent_medical_intervention, consents_at)
SELECT 'Пациент', 'Тестовый ' || i, '1990-01-01', 'F', '\x00', decode(md5('iin' || i), 'hex'), '\x00', decode(md5('phone' || i), 'hex'),
       'ru', true, true, now()
FROM generate_series(1, 1000) i;
INSERT INTO patient_telegram_links (patient_id, telegram_user_id, language) SELECT id, 5000000 + id, 'ru' FROM patients;
INSERT INTO appointments (code, patient_id, doctor_id, service_id, branch_id, starts_at, ends_at, busy_until, status, source, price_tenge)
SELECT 'B' || lpad(to_hex(row_number() OVER ()), 7, '0'),
       1 + (((d.id * 7 + day * 13 + k) % 1000) + 1000) % 1000, d.id, s.service_id, 1 + (d.id % 3),
       t, t + interval '30 minutes', t + interval '30 minutes',
       CASE WHEN t < now() THEN 'completed' ELSE 'booked' END, 'registry', 5000
FROM doctors d
CROSS JOIN generate_series(-250, 41) day
CROSS JOIN generate_series(0, 23) k
CROSS JOIN LATERAL (SELECT ((current_date + day)::timestamp + interval '8 hours' + k * interval '30 minutes') AT TIME ZONE 'Asia/Almaty' AS t) moment
CROSS JOIN LATERAL (SELECT min(service_id) AS service_id FROM doctor_services WHERE doctor_id = d.id) s
WHERE extract(isodow FROM current_date + day) <= 6
  AND ((d.id * 31 + day * 17 + k * 7) % 100 + 100) % 100 < 84;
COMMIT;
ANALYZE;
SELECT count(*) AS appointments FROM appointments;
