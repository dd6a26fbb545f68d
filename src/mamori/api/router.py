from ninja import NinjaAPI

api = NinjaAPI(title="mamori API", version="1", urls_namespace="api")
