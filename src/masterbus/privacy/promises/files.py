"""Uploads, jobs and files (P8-P15)."""

from __future__ import annotations

from masterbus.privacy.promises.model import _GU, _MS, _MV, _UP, Promise, Status

_OR = "tests/orders/"
_PP = "tests/privacy/test_processors.py::"
_SF = "tests/studios/test_session_files.py::"

FILES: tuple[Promise, ...] = (
    Promise(
        "P8",
        "Uploads, jobs and files",
        "Audio is recognised by its content, not its name; size and duration are limited; a bad "
        "file gets a clear message and nothing else is lost.",
        Status.KEPT,
        code=("masterbus.uploads.services.upload_finalize", "masterbus.engine.io"),
        tests=(
            _UP + "test_bad_input.py::test_a_text_file_renamed_wav_fails_with_a_clear_message_and_"
            "loses_nothing_else",
            _UP + "test_bad_input.py::test_other_audio_formats_are_recognised_by_content",
            _UP + "test_bad_input.py::test_audio_longer_than_the_limit_fails_with_the_limit",
            "tests/security/test_abuse_uploads.py::test_a_flac_decoding_to_hours_of_silence_is_"
            "refused_from_its_header",
            "tests/security/test_abuse_uploads.py::test_long_silence_at_384_khz_is_refused_with_a_"
            "plain_reason",
            "tests/security/test_abuse_uploads.py::test_hostile_headers_get_a_plain_answer_in_"
            "bounded_time",
            _UP + "test_protocol.py::test_over_the_size_limit_is_413_with_a_clear_message",
            "tests/engine/test_bad_input.py::test_bad_input_through_the_library",
        ),
    ),
    Promise(
        "P9",
        "Uploads, jobs and files",
        "Uploads are resumable, also after a page reload (with functional storage allowed, the "
        "browser keeps an upload record).",
        Status.KEPT,
        code=(
            "masterbus.uploads.views.UploadDetailView",
            "masterbus.uploads.services.upload_append",
        ),
        tests=(
            "tests/browser/test_resume_upload.py::test_an_interrupted_upload_resumes_after_a_"
            "reload_and_is_byte_identical",
            _UP + "test_protocol.py::test_resume_after_partial_chunk_continues_at_server_offset",
        ),
    ),
    Promise(
        "P10",
        "Uploads, jobs and files",
        "Guests need no account: a guest cookie ties their songs to that browser only; they move "
        "to the account on sign-in, and a download asked for while signed out completes after.",
        Status.KEPT,
        code=("masterbus.accounts.guests", "masterbus.accounts.services.guest_claim"),
        tests=(
            _GU + "test_guest_cookie_is_created_only_when_something_is_owned",
            _GU + "test_a_forged_cookie_value_is_ignored",
            _GU + "test_sign_up_with_email_verification_moves_the_guests_songs",
            _GU + "test_download_asked_while_signed_out_completes_after_sign_in",
            _GU + "test_the_guest_cookie_is_retired_when_its_songs_move_to_the_account",
            _GU + "test_a_guest_who_signs_up_loses_the_old_cookie_too",
        ),
    ),
    Promise(
        "P11",
        "Uploads, jobs and files",
        "Each song keeps its name, type, size, status, previews and delivery files; the status is "
        "live.",
        Status.KEPT,
        code=("masterbus.mastering.models.Job", "masterbus.mastering.views.job_status"),
        tests=(
            _MV + "test_master_button_creates_song_and_shows_live_status",
            _MV + "test_result_page_has_player_pictures_numbers_feedback_and_downloads",
        ),
    ),
    Promise(
        "P12",
        "Uploads, jobs and files",
        "Guest uploads and songs expire after a configurable window (7 days by default); the files "
        "are deleted, not hidden.",
        Status.KEPT,
        code=(
            "masterbus.mastering.services.cleanup.guest_songs_purge",
            "masterbus.config.settings.base.GUEST_RETENTION_DAYS",
        ),
        tests=(
            _MS + "test_guest_purge_deletes_old_guest_songs_and_uploads_only",
            "tests/mastering/test_albums.py::"
            "test_guest_albums_move_on_sign_in_and_expired_ones_are_purged",
            "tests/uploads/test_previews.py::"
            "test_deleting_or_expiring_the_upload_deletes_the_previews",
        ),
    ),
    Promise(
        "P13",
        "Uploads, jobs and files",
        "Your masters stay until you delete them; deleting a song deletes its files.",
        Status.KEPT,
        code=(
            "masterbus.mastering.services.cleanup.song_delete",
            "masterbus.mastering.services.cleanup.job_delete",
            "masterbus.mastering.services.cleanup.album_delete",
        ),
        tests=(
            _MS + "test_deleting_a_song_deletes_every_file",
            _MS + "test_deleting_a_song_while_it_is_mastered_leaves_no_files",
            _MV + "test_delete_removes_song_and_returns_to_library",
            "tests/mastering/test_versions.py::"
            "test_one_version_is_deleted_with_its_files_and_the_others_stay",
            "tests/mastering/test_albums.py::"
            "test_an_album_is_mastered_again_and_deleted_with_every_file",
        ),
    ),
    Promise(
        "P14",
        "Uploads, jobs and files",
        "Your audio is never sold, never used to train models, and shared only with the "
        "processors the privacy page lists.",
        Status.KEPT,
        code=(
            "masterbus.privacy.policy.processors",
            "masterbus.assistant.providers.get_provider",
        ),
        tests=(
            _PP + "test_mastering_on_the_embedded_default_sends_audio_nowhere",
            _PP + "test_each_configured_outside_service_is_listed",
            "tests/training/test_views.py::test_another_users_question_and_clips_are_404",
        ),
    ),
    Promise(
        "P15",
        "Uploads, jobs and files",
        "Engineer-order and studio session files are deleted on a rolling basis after delivery.",
        Status.KEPT,
        code=(
            "masterbus.orders.services.retention.order_sources_purge",
            "masterbus.studios.services.session_files.session_files_purge",
            "masterbus.studios.services.session_files.session_files_delete",
            "masterbus.training.services.exercises.clips_purge",
            "masterbus.config.periodic",
        ),
        tests=(
            _OR + "test_retention.py::test_sources_are_deleted_after_the_retention_window",
            _OR + "test_retention.py::test_an_open_order_keeps_its_sources",
            _SF + "test_the_purge_deletes_files_after_the_turnaround_and_not_before",
            _SF + "test_cancelling_the_booking_deletes_its_files",
            _SF + "test_the_uploaders_account_deletion_takes_their_files",
            "tests/training/test_services.py::test_clips_are_purged_after_the_retention_and_"
            "scores_stay",
        ),
    ),
)
