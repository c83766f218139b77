from django.http import HttpRequest, JsonResponse

from lantern.authz.gate import access
from lantern.authz.views import allowed

from .models import Dossier


@allowed("dossier.view")
def dossier_detail(request: HttpRequest, pk: int) -> JsonResponse:
    dossier = access(request.user, "dossier.view", Dossier, pk)
    return JsonResponse({"id": dossier.pk, "reference": dossier.reference})
