"""Where pictures inserted in the rich-text editor are stored.

django-ckeditor-5 saves uploads through ``settings.CKEDITOR_5_FILE_STORAGE``;
pointing it at :class:`EditorImageStorage` means that whichever view receives
the file, what lands on disk is a re-encoded image under a random name.
"""

from django.core.files.base import ContentFile

from articles.editing import images
from articles.editing.media import MediaStorage


class EditorImageStorage(MediaStorage):
    """Media storage that accepts only images, re-encoded, as ``uploads/YYYY/MM/<uuid4>.<ext>``.

    The name the browser sent is ignored: it may reveal a person's name or a
    folder structure, and it must not decide the extension. ``_save`` raises
    ``ValidationError`` for anything :func:`articles.editing.images.load_image` refuses,
    and :class:`~articles.editing.media.StorageWriteError` (nothing left on disk)
    when the file cannot be written.
    """

    def _save(self, name, content):
        image = images.load_image(content)
        data, extension = images.reencode(image)
        return super()._save(images.random_name("uploads", extension), ContentFile(data))
