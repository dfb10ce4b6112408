from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "masterbus.courses"
    label = "courses"
    verbose_name = "Courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Payments call back into courses when a course's payment is paid or refunded."""
        from masterbus.courses.services.enrolment import PURPOSE, CoursePayments
        from masterbus.payments import purposes

        purposes.register(PURPOSE, CoursePayments())
