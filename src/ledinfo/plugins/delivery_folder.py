"""Built-in delivery ``folder``: copy each pack into a folder, such as a network share.

Packs land in ``<path>/<period>/<pack-id>.pdf`` (with their JSON), written under a
temporary name and renamed, so a reader of the share never sees half a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field

from ledinfo.api import Delivery, OneLineText, PermanentError, Settings, TransientError, hookimpl


class FolderOptions(Settings):
    """``[delivery.folder]``."""

    path: OneLineText = Field(min_length=1, description='the folder, relative to the config file (~ for the home '
                                                        'folder): path = "/mnt/ledelsesinfo"')


class FolderDelivery(Delivery):
    name = "folder"
    description = "Copy the packs into a folder (a network share), one subfolder per period."
    Options = FolderOptions
    path_options = ("path",)
    needs_recipients = False

    def recipients(self, options: FolderOptions, base_dir: Path) -> list[str]:
        return [str(Path(options.path).resolve())]  # made absolute against base_dir by ledinfo (path_options)

    def deliver(self, item, options: FolderOptions) -> str:
        target_dir = Path(item.recipient) / item.period
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
            for source in (item.pdf, item.pdf.with_suffix(".json")):
                if source.exists():
                    temporary = target_dir / (source.name + ".tmp")
                    shutil.copyfile(source, temporary)
                    temporary.replace(target_dir / source.name)
        except PermissionError as error:
            raise PermanentError(f"no permission to write in {target_dir}: {error}") from None
        except OSError as error:  # a share that is briefly away
            raise TransientError(f"{type(error).__name__}: {error}") from None
        return str(target_dir / item.pdf.name)


@hookimpl
def ledinfo_register_deliveries(register):
    register(FolderDelivery())
