"""The essay editor's image upload endpoint (CKEditor 5)."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from articles.editing.storage import EditorImageStorage


def upload_image_view(model_admin, request):
    """CKEditor 5's upload endpoint for essays (``CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME``).

    Answers JSON in CKEditor's format: ``{"url": ...}`` or
    ``{"error": {"message": ...}}`` with 403 or 400, never a redirect to
    the login page (the editor could not show it) and never a 500.
    """
    user = request.user
    allowed = (
        user.is_active
        and user.is_staff
        and (model_admin.has_add_permission(request) or model_admin.has_change_permission(request))
    )
    if not allowed:
        return _upload_error("没有上传图片的权限，请以编辑身份登录。", status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return _upload_error("没有收到图片文件。")
    storage = EditorImageStorage()
    try:
        # The browser's file name is not used (see EditorImageStorage).
        name = storage.save("upload", upload)
    except ValidationError as error:
        return _upload_error(" ".join(error.messages))
    return JsonResponse({"url": storage.url(name)})


def _upload_error(message, status=400):
    return JsonResponse({"error": {"message": message}}, status=status)
