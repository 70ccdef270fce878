from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("links", "LinkCacheState").objects.get_or_create(pk=1, defaults={"generation": 0})


class Migration(migrations.Migration):
    dependencies = [("links", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
