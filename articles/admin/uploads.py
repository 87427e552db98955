"""The essay editor's image upload endpoint (CKEditor 5)."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse

from articles.editing.media import StorageWriteError
from articles.editing.storage import EditorImageStorage


def upload_image_view(model_admin, request):
    """CKEditor 5's upload endpoint for essays (``CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME``).

    Answers JSON in CKEditor's format: ``{"url": ...}`` or
    ``{"error": {"message": ...}}`` with 403 or 400, never a redirect to
    the login page (the editor could not show it) and never a 500. When the
    server cannot store the picture (a full disk: 507, another write error:
    503) the answer is JSON too, and no file is left behind.
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
    except StorageWriteError as error:
        # Not the editor's file but the server: 507 Insufficient Storage says
        # so (a 4xx would blame the request), and the JSON body is what
        # CKEditor shows in its dialog whatever the status. The storage has
        # removed the partial file and logged the error.
        if error.disk_full:
            return _upload_error("服务器存储空间已满，图片没有保存。请联系网站管理员清理磁盘后再上传。", status=507)
        return _upload_error("服务器暂时无法写入文件，图片没有保存。请稍后再试，或联系网站管理员。", status=503)
    return JsonResponse({"url": storage.url(name)})


def _upload_error(message, status=400):
    return JsonResponse({"error": {"message": message}}, status=status)
