"""CORS for the read-only API: any site may read it with GET, HEAD or OPTIONS, without cookies."""

API_PREFIX = "/api/v1/"
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX) and request.method in READ_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = (
                "Authorization, If-None-Match, If-Modified-Since, Accept-Language"
            )
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
            response["Access-Control-Max-Age"] = "86400"
        return response
