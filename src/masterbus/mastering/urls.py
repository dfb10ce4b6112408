app_name = "mastering"
urlpatterns: list = []
