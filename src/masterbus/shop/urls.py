from django.urls import path

from masterbus.shop import seller_views, views

app_name = "shop"

urlpatterns = [
    path("", views.products, name="products"),
    path("licence-public-key.pem", views.public_key, name="public_key"),
    path("p/<slug:product_slug>/", views.product, name="product"),
    path("buy/", views.product_buy, name="product_buy"),
    path("downloads/<int:file_id>/", views.download, name="download"),
    path("licences/", views.licence_list, name="licences"),
    path("licences/<uuid:licence_id>/", views.licence, name="licence"),
    path("licences/<uuid:licence_id>/refund/", views.licence_refund, name="licence_refund"),
    path(
        "licences/<uuid:licence_id>/machines/<int:activation_id>/deactivate/",
        views.activation_deactivate,
        name="activation_deactivate",
    ),
    path("sell/", seller_views.seller, name="seller"),
    path("sell/apply/", seller_views.seller_apply, name="seller_apply"),
    path("sell/products/new/", seller_views.product_new, name="product_new"),
    path(
        "sell/products/<slug:product_slug>/versions/new/",
        seller_views.version_new,
        name="version_new",
    ),
    path("review/", seller_views.review, name="review"),
    path(
        "review/sellers/<int:seller_id>/approve/",
        seller_views.seller_approve,
        name="seller_approve",
    ),
    path(
        "review/licences/<uuid:licence_id>/clear/", seller_views.licence_clear, name="licence_clear"
    ),
    path(
        "review/licences/<uuid:licence_id>/revoke/",
        seller_views.licence_revoke,
        name="licence_revoke",
    ),
]
